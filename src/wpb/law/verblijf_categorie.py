"""Whether a toewijzing is a stay (verblijf), read from its iJw product category (JZ020).

Sources: iStandaarden iJw codelijst JZ020 "Productcategorie" (the 2015 codes 31-38 and the
current codes 40-55, bundled in ``src/wpb/data/ijw/JZ020_Productcategorie.csv``), and
Jeugdwet art. 1.1 "woonplaats" onderdeel 2°, which turns on whether the youth *verblijft*
with a provider, a foster parent, in opvang or in a JJI.

- 43 "Jeugdhulp verblijf (incl. behandeling)" and 44 "(excl. behandeling)" are stays by their
  name; so are the 2015 codes 35-38 ("Met verblijf": pleegzorg, gezinsgericht, gesloten
  plaatsing, overig residentieel).
- 45 "Jeugdhulp ambulant" and the 2015 codes 31-34 ("Zonder verblijf") are not.
- Any other category (46 crisis, which may or may not include a bed; 47 jeugdreclassering;
  54 jeugd-ggz; ...) does not say: the caseload row must state ``verblijf`` itself.
"""

from __future__ import annotations

VERBLIJF = frozenset({"35", "36", "37", "38", "43", "44"})
GEEN_VERBLIJF = frozenset({"31", "32", "33", "34", "45"})


def verblijf_volgens_categorie(productcategorie: str) -> bool | None:
    """True: a stay; False: not a stay; None: the category does not settle it."""
    if productcategorie in VERBLIJF:
        return True
    if productcategorie in GEEN_VERBLIJF:
        return False
    return None
