#!/usr/bin/env python3
"""Writes schemas/mie-v1.xsd and schemas/mie-v1.schema.json from the field
table of libcommon/record/mie_schema.c, the one statement of schema v1's
fields (name, kind, record types), and the record types of mie_record.c.  mie_schema_check reads the same table,
so the C checks and the two schema files cannot drift apart:
tests/cases/schema_examples.sh runs `gen-schemas.py --check`.
Usage: gen-schemas.py [--check]   (--check: exit 1 if the files differ)"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RECORD_DIR = os.path.join(HERE, "..", "libcommon", "record")


def read_types():
    """mie_record_types[] of mie_record.c, checked against the T_ bits of
    mie_schema.c (bit i must be the i-th type)."""
    src = open(os.path.join(RECORD_DIR, "mie_record.c"), encoding="utf-8").read()
    body = src[src.index("mie_record_types[] = {"):]
    types = re.findall(r'"(\w+)"', body[:body.index("NULL")])
    schema = open(os.path.join(RECORD_DIR, "mie_schema.c"), encoding="utf-8").read()
    bits = re.findall(r"\bT_([A-Z_]+) = 1 << (\d+),", schema)
    if [(t.upper(), str(i)) for i, t in enumerate(types)] != bits:
        sys.exit("gen-schemas: the T_ bits of mie_schema.c are not in the order of mie_record_types[]")
    return types


# what a repair's kind may be: said in both schema files, not enforced
REPAIR_KIND = ("The kinds mie-import writes, each with its meaning, are the table "
               "'Repair kinds' of schemas/README.md; records written by other programs "
               "may carry other kinds, so any string is valid here.")

TYPES = read_types()
ALL = set(TYPES)


def read_fields():
    """[(name, kind, types)] from mie_schema.c, without type and id."""
    src = open(os.path.join(RECORD_DIR, "mie_schema.c"), encoding="utf-8").read()
    table = src[src.index("} fields[] = {"):src.index("#define NFIELDS")]
    rows = re.findall(r'\{"(\w+)", K_(\w+), (\w+), ([A-Z_ |]+)\}', table)
    if len(rows) != table.count('{"'):
        sys.exit("gen-schemas: cannot read every row of the field table in mie_schema.c")
    fields = []
    for name, kind, _flags, types in rows:
        if name in ("type", "id"):
            continue
        if types.strip() == "T_ALL":
            allowed = set(ALL)
        else:
            allowed = {t.strip()[2:].lower() for t in types.split("|")}
            if not allowed <= ALL:
                sys.exit(f"gen-schemas: {name}: unknown record type in {types}")
        fields.append((name, kind.lower(), allowed))
    return fields


FIELDS = read_fields()

NS = "urn:infomie:mie:interchange:1"
# white space spelled out: JavaScript's \s also matches U+00A0 and others,
# XSD's and mie_schema.c's only these four
ID_RE = r"[^ \t\n\r:]+:[a-z_]+:[^ \t\n\r]+"
LANG_RE = r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*"
# a real day of years 0001-9999, leap years included (no 2006-02-31, no
# 0000-00-00); a zone only after a time, up to ±14:00 (as xs:dateTime)
DAY_RE = (r"(?!0000)([0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
          r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
          r"|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29)")
TIME_RE = r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
# characters XML 1.0 cannot carry (the record text invariant)
NOT_XML = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]*$"


def json_schema():
    d = {
        "str": {"type": "string", "pattern": NOT_XML},
        "id": {"type": "string", "pattern": f"^{ID_RE}$"},
        "idlist": {"type": "array", "items": {"$ref": "#/$defs/id"}, "uniqueItems": True},
        "strlist": {"type": "array", "items": {"$ref": "#/$defs/str"}},
        "date": {"type": "string", "pattern": f"^({DAY_RE})({TIME_RE})?$",
                 "$comment": "the pattern checks the calendar: 2006-02-31 and 0000-00-00 fail"},
        "lang": {"type": "string", "pattern": f"^{LANG_RE}$"},
        "int": {"type": "integer", "minimum": 0},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "method": {"enum": ["identity", "exact", "near", "name"]},
        "version": {"const": "1"},
        "text": {"type": "object", "additionalProperties": False,
                 "properties": {k: {"$ref": "#/$defs/str"} for k in ("spip", "html", "plain")}},
        "legacy": {"type": "object", "additionalProperties": False,
                   "properties": {k: {"$ref": "#/$defs/str"} for k in ("site", "table", "id", "url")}},
        "repair": {"type": "object", "additionalProperties": False, "required": ["kind"],
                   "properties": dict({k: {"$ref": "#/$defs/str"} for k in ("kind", "path", "detail", "original")},
                                      count={"$ref": "#/$defs/int"})},
        "provenance": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["format"],
            "properties": dict({k: {"$ref": "#/$defs/str"} for k in ("format", "file", "member", "charset", "record")},
                               date={"$ref": "#/$defs/date"}, line={"$ref": "#/$defs/int"},
                               row={"$ref": "#/$defs/int"},
                               repairs={"type": "array", "items": {"$ref": "#/$defs/repair"}})}},
        "name": {"pattern": NOT_XML},
        "extra": {"type": "object", "propertyNames": {"$ref": "#/$defs/name"},
                  "additionalProperties": {"$ref": "#/$defs/str"}},
        "any": {"anyOf": [{"$ref": "#/$defs/str"}, {"type": ["number", "boolean", "null"]},
                          {"type": "array", "items": {"$ref": "#/$defs/any"}},
                          {"type": "object", "propertyNames": {"$ref": "#/$defs/name"},
                           "additionalProperties": {"$ref": "#/$defs/any"}}]},
        "variants": {"type": "object", "propertyNames": {"$ref": "#/$defs/name"}, "additionalProperties": {
            "type": "array", "items": {"$ref": "#/$defs/any"}}},
    }
    d["repair"]["properties"]["kind"]["description"] = REPAIR_KIND
    kind_ref = {"string": "str"}
    props = {"type": {"enum": TYPES}, "id": {"$ref": "#/$defs/id"}}
    for name, kind, _ in FIELDS:
        props[name] = {"$ref": "#/$defs/" + kind_ref.get(kind, kind)}
    rules = []
    for t in TYPES:
        banned = [n for n, _, types in FIELDS if t not in types]
        if banned:
            rules.append({"if": {"properties": {"type": {"const": t}}},
                          "then": {"propertyNames": {"not": {"enum": banned}}}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:infomie:mie:interchange:1:json",
        "title": "mie interchange record, schema v1 (one record per JSON Lines line)",
        "description": "See schemas/README.md for every record type and field.",
        "type": "object",
        "required": ["type", "id"],
        "properties": props,
        "additionalProperties": False,
        "allOf": rules,
        "$defs": d,
    }


def xsd():
    out = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8"?>')
    w("<!-- mie interchange XML, schema v1.  Generated by schemas/gen-schemas.py from the")
    w("     field table; see schemas/README.md.  Do not edit by hand. -->")
    w(f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{NS}" xmlns:m="{NS}"')
    w(f'           targetNamespace="{NS}" elementFormDefault="qualified" version="1">')
    w("""
  <xs:element name="records">
    <xs:complexType>
      <xs:choice minOccurs="0" maxOccurs="unbounded">""")
    for t in TYPES:
        w(f'        <xs:element name="{t}" type="{t}"/>')
    w("""      </xs:choice>
      <xs:attribute name="schema_version" type="xs:string" fixed="1" use="required"/>
    </xs:complexType>
  </xs:element>

  <xs:simpleType name="id"><xs:restriction base="xs:string">
    <xs:pattern value="%s"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="lang"><xs:restriction base="xs:string">
    <xs:pattern value="%s"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="day"><xs:restriction base="xs:date">
    <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}"/></xs:restriction></xs:simpleType>
  <!-- xs:dateTime checks the calendar and zones up to 14:00; the pattern
       refuses its fractions of seconds and 24:00:00 -->
  <xs:simpleType name="moment"><xs:restriction base="xs:dateTime">
    <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-9]{2}:[0-9]{2}(Z|[+\\-][0-9]{2}:[0-9]{2})?"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="date"><xs:union memberTypes="day moment"/></xs:simpleType>
  <xs:simpleType name="method"><xs:restriction base="xs:string">
    <xs:enumeration value="identity"/><xs:enumeration value="exact"/>
    <xs:enumeration value="near"/><xs:enumeration value="name"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="version"><xs:restriction base="xs:string">
    <xs:enumeration value="1"/></xs:restriction></xs:simpleType>
  <!-- xs:double, not xs:decimal: JSON writes small numbers with an exponent (1e-5) -->
  <xs:simpleType name="unit"><xs:restriction base="xs:double">
    <xs:minInclusive value="0"/><xs:maxInclusive value="1"/></xs:restriction></xs:simpleType>

  <!-- numbers carry t="number" -->
  <xs:complexType name="int"><xs:simpleContent><xs:extension base="xs:nonNegativeInteger">
    <xs:attribute name="t" type="xs:string" fixed="number" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="score"><xs:simpleContent><xs:extension base="unit">
    <xs:attribute name="t" type="xs:string" fixed="number" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType>

  <!-- arrays: <item> children; an empty one is <x t="array"/> -->
  <xs:complexType name="idlist"><xs:sequence>
    <xs:element name="item" type="id" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="t" type="xs:string" fixed="array"/></xs:complexType>
  <xs:complexType name="strlist"><xs:sequence>
    <xs:element name="item" type="xs:string" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="t" type="xs:string" fixed="array"/></xs:complexType>

  <!-- objects; an empty one is <x t="object"/> -->
  <xs:complexType name="text"><xs:all>
    <xs:element name="spip" type="xs:string" minOccurs="0"/>
    <xs:element name="html" type="xs:string" minOccurs="0"/>
    <xs:element name="plain" type="xs:string" minOccurs="0"/></xs:all>
    <xs:attribute name="t" type="xs:string" fixed="object"/></xs:complexType>
  <xs:complexType name="legacy"><xs:all>
    <xs:element name="site" type="xs:string" minOccurs="0"/>
    <xs:element name="table" type="xs:string" minOccurs="0"/>
    <xs:element name="id" type="xs:string" minOccurs="0"/>
    <xs:element name="url" type="xs:string" minOccurs="0"/></xs:all>
    <xs:attribute name="t" type="xs:string" fixed="object"/></xs:complexType>
  <xs:complexType name="repair"><xs:all>
    <xs:element name="kind" type="xs:string">
      <xs:annotation><xs:documentation>%s</xs:documentation></xs:annotation></xs:element>
    <xs:element name="path" type="xs:string" minOccurs="0"/>
    <xs:element name="detail" type="xs:string" minOccurs="0"/>
    <xs:element name="original" type="xs:string" minOccurs="0"/>
    <xs:element name="count" type="int" minOccurs="0"/></xs:all></xs:complexType>
  <xs:complexType name="repairs"><xs:sequence>
    <xs:element name="item" type="repair" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="t" type="xs:string" fixed="array"/></xs:complexType>
  <xs:complexType name="source"><xs:all>
    <xs:element name="format" type="xs:string"/>
    <xs:element name="file" type="xs:string" minOccurs="0"/>
    <xs:element name="member" type="xs:string" minOccurs="0"/>
    <xs:element name="charset" type="xs:string" minOccurs="0"/>
    <xs:element name="date" type="date" minOccurs="0"/>
    <xs:element name="line" type="int" minOccurs="0"/>
    <xs:element name="row" type="int" minOccurs="0"/>
    <xs:element name="repairs" type="repairs" minOccurs="0"/>
    <xs:element name="record" type="xs:string" minOccurs="0"/></xs:all></xs:complexType>
  <xs:complexType name="provenance"><xs:sequence>
    <xs:element name="item" type="source" maxOccurs="unbounded"/></xs:sequence></xs:complexType>

  <!-- extra: <field name="COLUMN">verbatim text</field> -->
  <xs:complexType name="named"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="name" type="xs:string" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="extra"><xs:sequence>
    <xs:element name="field" type="named" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="t" type="xs:string" fixed="object"/></xs:complexType>

  <!-- variants: <field name="FIELD"> holding an array of any JSON values in
       the generic mapping (t gives numbers, booleans, null, empty arrays and
       objects; object members are <field name="KEY">) -->
  <xs:simpleType name="jsontype"><xs:restriction base="xs:string">
    <xs:enumeration value="number"/><xs:enumeration value="boolean"/>
    <xs:enumeration value="null"/><xs:enumeration value="array"/>
    <xs:enumeration value="object"/></xs:restriction></xs:simpleType>
  <xs:complexType name="value" mixed="true"><xs:choice minOccurs="0" maxOccurs="unbounded">
    <xs:element name="item" type="value"/>
    <xs:element name="field" type="member"/></xs:choice>
    <xs:attribute name="t" type="jsontype"/></xs:complexType>
  <xs:complexType name="member" mixed="true"><xs:complexContent><xs:extension base="value">
    <xs:attribute name="name" type="xs:string" use="required"/>
  </xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="values"><xs:sequence>
    <xs:element name="item" type="value" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="t" type="xs:string" fixed="array"/></xs:complexType>
  <xs:complexType name="variants"><xs:sequence>
    <xs:element name="field" type="values" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="t" type="xs:string" fixed="object"/></xs:complexType>
""" % (ID_RE, LANG_RE, REPAIR_KIND))
    xtype = {"string": "xs:string", "version": "version", "lang": "lang", "date": "date",
             "int": "int", "text": "text", "idlist": "idlist", "strlist": "strlist", "id": "id",
             "method": "method", "score": "score", "variants": "variants", "legacy": "legacy",
             "provenance": "provenance", "extra": "extra"}
    for t in TYPES:
        w(f'  <xs:complexType name="{t}"><xs:all>')
        for name, kind, types in FIELDS:
            if t in types and kind == "idlist":  # no id twice in a list
                w(f'    <xs:element name="{name}" type="idlist" minOccurs="0">')
                w(f'      <xs:unique name="{t}.{name}"><xs:selector xpath="m:item"/>'
                  '<xs:field xpath="."/></xs:unique></xs:element>')
            elif t in types:
                w(f'    <xs:element name="{name}" type="{xtype[kind]}" minOccurs="0"/>')
        w('  </xs:all><xs:attribute name="id" type="id" use="required"/></xs:complexType>')
    w("</xs:schema>")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    files = {"mie-v1.schema.json": json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n",
             "mie-v1.xsd": xsd()}
    check = "--check" in sys.argv
    bad = 0
    for name, text in files.items():
        path = os.path.join(here, name)
        if check:
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                print(f"gen-schemas: {name} is not what gen-schemas.py makes", file=sys.stderr)
                bad = 1
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    sys.exit(bad)


main()
