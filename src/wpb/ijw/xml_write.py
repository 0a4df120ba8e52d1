"""Write a typed iJw 3.2 message as XML.

The output follows OP192: UTF-8 without byte-order mark, CR/LF line ends, an XML
declaration; elements in schema order with the message prefix (``jw301:``) and ``ijw:``
for the Basisschema, as the iStandaarden examples do. Before writing, the model is
checked against the datatypes (:func:`wpb.ijw.schema.check_model`); a message that would
not fit the schema is refused with every problem named, rather than written.
"""

from __future__ import annotations

from datetime import date, time

from lxml import etree

from wpb.ijw import datatypes as dt
from wpb.ijw.models import BASIS_NAMESPACE, Bericht
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.xml_map import ROOT_ELEMENT, El, Ns, Shape, field_value, root_shape


def _text(ldt: dt.Ldt, value: object) -> str:
    if ldt.base is dt.Base.DATE:
        assert isinstance(value, date)
        return value.isoformat()
    if ldt.base is dt.Base.TIME:
        assert isinstance(value, time)
        return value.isoformat()
    return str(value)


class _Writer:
    def __init__(self, bericht: Bericht):
        self.type = bericht.type

    def ns(self, shape: Shape) -> str:
        return self.type.namespace if shape.ns is Ns.MESSAGE else BASIS_NAMESPACE

    def fill(self, parent, obj: object, shape: Shape) -> None:
        ns = self.ns(shape)
        for el in shape.children:
            value = field_value(obj, el)
            if value is None or (el.item is not None and not value):
                continue
            self.element(parent, ns, el, value)

    def element(self, parent, ns: str, el: El, value: object) -> None:
        node = etree.SubElement(parent, f"{{{ns}}}{el.name}")
        if el.item is not None:
            assert isinstance(el.type, Shape)
            for item in value:  # type: ignore[attr-defined]
                child = etree.SubElement(node, f"{{{self.type.namespace}}}{el.item}")
                self.fill(child, item, el.type)
        elif isinstance(el.type, Shape):
            self.fill(node, value, el.type)
        else:
            node.text = _text(el.type, value)


def to_element(bericht: Bericht):
    """The message as an lxml element (not checked)."""
    writer = _Writer(bericht)
    nsmap = {bericht.type.prefix: bericht.type.namespace, "ijw": BASIS_NAMESPACE}
    root = etree.Element(f"{{{bericht.type.namespace}}}{ROOT_ELEMENT}", nsmap=nsmap)
    writer.fill(root, bericht, root_shape(bericht.type))
    return root


def write_bericht(bericht: Bericht, *, check: bool = True) -> bytes:
    """The message as XML bytes; with ``check`` a model that breaks a datatype is refused."""
    if check:
        from wpb.ijw.schema import check_model

        problems = check_model(bericht)
        if problems:
            raise BerichtOngeldig(problems, bron=f"{bericht.type.value} (te schrijven)")
    root = to_element(bericht)
    etree.indent(root, space="\t")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # OP192: CR/LF line ends. A newline inside a value is normalised back to LF by any
    # XML parser on reading, so the content is unchanged.
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
