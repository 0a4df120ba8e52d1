"""Does a message fit the iJw 3.2 schema: in code always, against the XSD files when present.

wpb does not ship the iJw XSDs: the copy the project was shown comes from a repository
without a licence (see ``../shared/data/ijw/SOURCES.md``), and the official files are
downloaded from istandaarden.nl. So there are two layers:

- :func:`check_model` always runs. It walks the message layout (:mod:`wpb.ijw.xml_map`)
  and checks presence, repetition and every value against its datatype
  (:mod:`wpb.ijw.datatypes`: lengths, patterns, ranges, code lists, the BSN 11-proef).
  The reader (:mod:`wpb.ijw.xml_read`) applies the same checks while reading.
- :class:`XsdValidator` validates a document against the XSD files in a directory the
  operator names (``--xsd DIR`` or ``WPB_IJW_XSD_DIR``). Nothing depends on it being there.

Problems name the element by a path such as
``/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum``.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from lxml import etree

from wpb.ijw.models import Bericht, BerichtType
from wpb.ijw.problems import Problem
from wpb.ijw.retour_types import RetourType
from wpb.ijw.xml_map import ROOT_ELEMENT, El, Shape, field_value, root_shape

XSD_DIR_ENV = "WPB_IJW_XSD_DIR"


# --- the model against the datatypes ----------------------------------------------------


def _check_shape(obj: object, shape: Shape, path: str, out: list[Problem]) -> None:
    for el in shape.children:
        value = field_value(obj, el)
        child_path = f"{path}/{el.name}"
        if value is None or (el.item is not None and not value):
            if not el.optional:
                out.append(Problem(child_path, "XSD", "verplicht element ontbreekt"))
            continue
        _check_element(value, el, child_path, out)


def _check_element(value: object, el: El, path: str, out: list[Problem]) -> None:
    if el.item is not None:
        assert isinstance(el.type, Shape)
        if not isinstance(value, tuple | list):
            out.append(Problem(path, "XSD", f"verwacht een lijst van {el.item}"))
            return
        for i, item in enumerate(value, start=1):
            _check_typed(item, el.type, f"{path}/{el.item}[{i}]", out)
        return
    if isinstance(el.type, Shape):
        _check_typed(value, el.type, path, out)
        return
    problem = el.type.problem(value)
    if problem:
        rule, reason = problem
        waarde = None if el.type.personal else str(value)
        out.append(Problem(path, rule, reason, waarde=waarde))


def _check_typed(value: object, shape: Shape, path: str, out: list[Problem]) -> None:
    if not isinstance(value, shape.cls):
        out.append(Problem(path, "XSD", f"verwacht {shape.cls.__name__}, "
                                        f"kreeg {type(value).__name__}"))
        return
    _check_shape(value, shape, path, out)


def check_model(bericht: Bericht) -> list[Problem]:
    """Every datatype and presence problem of a message model (empty when it fits)."""
    out: list[Problem] = []
    _check_shape(bericht, root_shape(bericht.type), f"/{ROOT_ELEMENT}", out)
    return out


# --- against the XSD files ------------------------------------------------------------


def xsd_directory(explicit: Path | str | None = None) -> Path | None:
    """The XSD directory to use: ``explicit``, else ``$WPB_IJW_XSD_DIR``; None when neither."""
    chosen = explicit if explicit is not None else os.environ.get(XSD_DIR_ENV)
    if not chosen:
        return None
    return Path(chosen)


class XsdUnavailable(RuntimeError):
    """The XSD directory or a message's XSD file is missing or does not compile."""


def _personal_elements() -> frozenset[str]:
    names: set[str] = set()

    def walk(shape: Shape) -> None:
        for el in shape.children:
            if isinstance(el.type, Shape):
                walk(el.type)
            elif el.type.personal:
                names.add(el.name)

    for t in BerichtType:
        walk(root_shape(t))
    return frozenset(names)


def _list_items() -> frozenset[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()

    def walk(shape: Shape) -> None:
        for el in shape.children:
            if el.item is not None:
                pairs.add((el.name, el.item))
            if isinstance(el.type, Shape):
                walk(el.type)

    for t in BerichtType:
        walk(root_shape(t))
    return frozenset(pairs)


_PERSONAL = _personal_elements()
_LIST_ITEMS = _list_items()
LIST_ITEMS = _LIST_ITEMS  # (list element, item element) pairs of every message layout
_PREFIX = re.compile(r"[A-Za-z_][\w.-]*:")
_CLARK = re.compile(r"\{[^}]*\}")
_QUOTED_VALUE = re.compile(r"'[^']*'(?= is not| is not accepted)|[Tt]he value '[^']*'")
_VALUE = re.compile(r"(?:[Tt]he value |^|: )'([^']*)' is not")


def _clean_path(path: str | None) -> str:
    """libxml2's path without prefixes, with [1] on a lone list item as the reader writes it."""
    if not path:
        return "/"
    parts = _PREFIX.sub("", path).split("/")
    for i in range(1, len(parts)):
        if (parts[i - 1].split("[", 1)[0], parts[i]) in _LIST_ITEMS:
            parts[i] += "[1]"
    return "/".join(parts)


class XsdValidator:
    """Validates documents against the iJw XSDs in one directory, compiling each once."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise XsdUnavailable(f"XSD-map {self.directory} bestaat niet")
        self._schemas: dict[BerichtType | RetourType, etree.XMLSchema] = {}

    def schema(self, type: BerichtType | RetourType) -> etree.XMLSchema:
        if type not in self._schemas:
            self._schemas[type] = self._compile(type)
        return self._schemas[type]

    def _compile(self, type: BerichtType | RetourType) -> etree.XMLSchema:
        path = self.directory / f"{type.value}.xsd"
        if not path.is_file():
            raise XsdUnavailable(f"{path} ontbreekt")
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            return etree.XMLSchema(etree.parse(str(path), parser))
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
            raise XsdUnavailable(f"{path} is geen bruikbaar XSD: {exc}") from None

    def validate(self, root, type: BerichtType | RetourType) -> list[Problem]:
        """The XSD's verdict on a parsed document of message type ``type``."""
        schema = self.schema(type)
        if schema.validate(root.getroottree()):
            return []
        problems = []
        for error in schema.error_log:
            path = _clean_path(error.path)
            message = _CLARK.sub("", error.message)
            waarde = None
            leaf = path.rsplit("/", 1)[-1].split("[", 1)[0]
            if leaf in _PERSONAL:
                message = _QUOTED_VALUE.sub("de waarde", message)
            else:
                found = _VALUE.search(message)
                waarde = found.group(1) if found else None
            problems.append(Problem(path, "XSD", f"XSD: {message}", waarde=waarde,
                                    line=error.line or None))
        return problems


@cache
def validator(directory: Path) -> XsdValidator:
    return XsdValidator(directory)
