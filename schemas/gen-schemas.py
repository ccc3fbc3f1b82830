#!/usr/bin/env python3
"""Writes schemas/mie-v1.xsd and schemas/mie-v1.schema.json from one table.

The table is the same statement as libcommon/record/mie_schema.c's (field,
kind, record types); tests/cases/schema.sh runs valid and invalid examples
through mie-validate, xmllint --schema and ajv and requires the three to
agree, so a change to one table that is not made to the other fails there.
Usage: gen-schemas.py [--check]   (--check: exit 1 if the files differ)"""
import json
import os
import sys

TYPES = ["section", "article", "brief", "author", "keyword", "keyword_group", "document",
         "site", "comment", "organisation", "dossier", "petition", "signature"]
ALL = set(TYPES)
CONTENT = {"article", "brief", "section", "dossier"}

FIELDS = [  # name, kind, types
    ("schema_version", "version", ALL),
    ("title", "string", ALL),
    ("lang", "lang", ALL),
    ("status", "string", ALL),
    ("date_published", "date", ALL),
    ("date_modified", "date", ALL),
    ("rank", "int", ALL),
    ("url", "string", ALL),
    ("description", "text", ALL),
    ("keywords", "idlist", ALL),
    ("links", "idlist", ALL),
    ("section", "id", {"article", "brief", "section", "document", "dossier"}),
    ("section_path", "strlist", CONTENT),
    ("authors", "idlist", {"article", "brief", "document", "dossier"}),
    ("documents", "idlist", CONTENT),
    ("text", "text", CONTENT - {"section"} | {"section", "comment", "author", "petition", "signature"}),
    ("lead", "text", {"article", "brief", "dossier"}),
    ("ps", "text", {"article", "dossier"}),
    ("notes", "text", {"article", "brief", "section", "comment", "dossier"}),
    ("surtitle", "string", {"article"}),
    ("subtitle", "string", {"article"}),
    ("redirect", "string", {"article"}),
    ("email", "string", {"author", "organisation"}),
    ("group", "id", {"keyword"}),
    ("file", "string", {"document"}),
    ("mime", "string", {"document"}),
    ("size", "int", {"document"}),
    ("width", "int", {"document"}),
    ("height", "int", {"document"}),
    ("kind", "string", {"document", "organisation"}),
    ("about", "id", {"comment", "petition", "signature"}),
    ("parent", "id", {"comment"}),
    ("author_name", "string", {"comment", "signature"}),
    ("author_email", "string", {"comment", "signature"}),
    ("ip", "string", {"comment", "signature"}),
    ("address", "string", {"organisation"}),
    ("postcode", "string", {"organisation"}),
    ("city", "string", {"organisation"}),
    ("country", "string", {"organisation"}),
    ("phone", "string", {"organisation"}),
    ("members", "idlist", {"dossier"}),
    ("duplicate_of", "id", ALL),
    ("duplicate_method", "method", ALL),
    ("duplicate_score", "score", ALL),
    ("merged_from", "idlist", ALL),
    ("variants", "variants", ALL),
    ("legacy", "legacy", ALL),
    ("provenance", "provenance", ALL),
    ("extra", "extra", ALL),
]

NS = "urn:infomie:mie:interchange:1"
ID_RE = r"[^\s:]+:[a-z_]+:\S+"
LANG_RE = r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*"
DATE_RE = (r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
           r"(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?)?")
# characters XML 1.0 cannot carry (the record text invariant)
NOT_XML = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]*$"


def json_schema():
    d = {
        "str": {"type": "string", "pattern": NOT_XML},
        "id": {"type": "string", "pattern": f"^{ID_RE}$"},
        "idlist": {"type": "array", "items": {"$ref": "#/$defs/id"}, "uniqueItems": True},
        "strlist": {"type": "array", "items": {"$ref": "#/$defs/str"}},
        "date": {"type": "string", "pattern": f"^(?!0000){DATE_RE}$",
                 "$comment": "mie-validate also checks that the day exists (no 2006-02-31)"},
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
            "properties": dict({k: {"$ref": "#/$defs/str"} for k in ("format", "file", "member", "charset")},
                               date={"$ref": "#/$defs/date"}, line={"$ref": "#/$defs/int"},
                               repairs={"type": "array", "items": {"$ref": "#/$defs/repair"}})}},
        "extra": {"type": "object", "additionalProperties": {"$ref": "#/$defs/str"}},
        "any": {"anyOf": [{"$ref": "#/$defs/str"}, {"type": ["number", "boolean", "null"]},
                          {"type": "array", "items": {"$ref": "#/$defs/any"}},
                          {"type": "object", "additionalProperties": {"$ref": "#/$defs/any"}}]},
        "variants": {"type": "object", "additionalProperties": {"$ref": "#/$defs/any"}},
    }
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
  <xs:simpleType name="moment"><xs:restriction base="xs:dateTime">
    <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+\\-][0-9]{2}:[0-9]{2})?"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="date"><xs:union memberTypes="day moment"/></xs:simpleType>
  <xs:simpleType name="method"><xs:restriction base="xs:string">
    <xs:enumeration value="identity"/><xs:enumeration value="exact"/>
    <xs:enumeration value="near"/><xs:enumeration value="name"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="version"><xs:restriction base="xs:string">
    <xs:enumeration value="1"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="unit"><xs:restriction base="xs:decimal">
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
    <xs:element name="kind" type="xs:string"/>
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
    <xs:element name="repairs" type="repairs" minOccurs="0"/></xs:all></xs:complexType>
  <xs:complexType name="provenance"><xs:sequence>
    <xs:element name="item" type="source" maxOccurs="unbounded"/></xs:sequence></xs:complexType>

  <!-- extra: <field name="COLUMN">verbatim text</field> -->
  <xs:complexType name="named"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="name" type="xs:string" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="extra"><xs:sequence>
    <xs:element name="field" type="named" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="t" type="xs:string" fixed="object"/></xs:complexType>

  <!-- variants: any JSON value in the generic mapping -->
  <xs:simpleType name="jsontype"><xs:restriction base="xs:string">
    <xs:enumeration value="number"/><xs:enumeration value="boolean"/>
    <xs:enumeration value="null"/><xs:enumeration value="array"/>
    <xs:enumeration value="object"/></xs:restriction></xs:simpleType>
  <xs:complexType name="value" mixed="true"><xs:choice minOccurs="0" maxOccurs="unbounded">
    <xs:element name="item" type="value"/>
    <xs:element name="field" type="value"/></xs:choice>
    <xs:attribute name="name" type="xs:string"/>
    <xs:attribute name="t" type="jsontype"/></xs:complexType>
""" % (ID_RE, LANG_RE))
    xtype = {"string": "xs:string", "version": "version", "lang": "lang", "date": "date",
             "int": "int", "text": "text", "idlist": "idlist", "strlist": "strlist", "id": "id",
             "method": "method", "score": "score", "variants": "value", "legacy": "legacy",
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
