#!/usr/bin/env python3
"""verify-standard-fields.py FIXTURE [JAR]

Cross-checks the vendored standard-field list (tests/fixtures/sobject-fields/standard-fields.txt)
against the SObject definitions apex-ls ships: the jar sobject-types-<version>.jar of the pinned
Code Analyzer PMD engine (default: the one under node_modules next to this script), one Java class
per standard object whose public fields are the object's fields, generated from Salesforce's
describe data. Every `Object.Field` must be a field of that class; every
`Object.Relationship -> Target` must be a field of type Target.

The list itself cites the Object Reference; this makes sure no entry was mistyped or made up.
Exits 0 when every entry matches, 1 with one line per mismatch, 2 when the jar cannot be read.
"""
import glob
import os
import struct
import sys
import zipfile

PREFIX = "com/nawforce/runforce/SObjects/"


def class_fields(data):
    """(name, descriptor) of every field of a Java class file."""
    count = struct.unpack(">H", data[8:10])[0]
    pool, i, k = [None] * count, 10, 1
    while k < count:
        tag = data[i]
        i += 1
        if tag == 1:  # Utf8
            length = struct.unpack(">H", data[i:i + 2])[0]
            pool[k] = data[i + 2:i + 2 + length].decode("utf-8", "replace")
            i += 2 + length
        elif tag in (3, 4, 9, 10, 11, 12, 17, 18):
            i += 4
        elif tag in (5, 6):  # Long and Double take two slots
            i += 8
            k += 1
        elif tag in (7, 8, 16, 19, 20):
            i += 2
        elif tag == 15:
            i += 3
        else:
            raise ValueError(f"unknown constant pool tag {tag}")
        k += 1
    i += 6  # access flags, this class, super class
    interfaces = struct.unpack(">H", data[i:i + 2])[0]
    i += 2 + 2 * interfaces
    fields = struct.unpack(">H", data[i:i + 2])[0]
    i += 2
    out = []
    for _ in range(fields):
        _, name, descriptor, attributes = struct.unpack(">HHHH", data[i:i + 8])
        i += 8
        for _ in range(attributes):
            i += 6 + struct.unpack(">I", data[i + 2:i + 6])[0]
        out.append((pool[name], pool[descriptor]))
    return out


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    jars = argv[2:3] or glob.glob(os.path.join(
        here, "node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib/sobject-types-*.jar"))
    if len(jars) != 1:
        sys.stderr.write(f"verify-standard-fields: expected one sobject-types jar, found {jars}\n")
        return 2
    try:
        archive = zipfile.ZipFile(jars[0])
    except (OSError, zipfile.BadZipFile) as e:
        sys.stderr.write(f"verify-standard-fields: cannot read {jars[0]}: {e}\n")
        return 2
    cache = {}

    def fields_of(obj):
        if obj not in cache:
            try:
                data = archive.read(f"{PREFIX}{obj}.class")
            except KeyError:
                cache[obj] = None
            else:
                cache[obj] = {n.lower(): d for n, d in class_fields(data)}
        return cache[obj]

    problems, checked = [], 0
    with open(argv[1], encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            entry = line.split("#")[0].strip()
            if not entry:
                continue
            name, _, target = (part.strip() for part in entry.partition("->"))
            obj, _, field = name.partition(".")
            known = fields_of(obj)
            where = f"{argv[1]}:{number}: {entry}"
            if known is None:
                problems.append(f"{where}: apex-ls knows no standard object {obj}")
            elif field.lower() not in known:
                problems.append(f"{where}: {obj} has no field {field} in {os.path.basename(jars[0])}")
            elif target and known[field.lower()] != f"L{PREFIX}{target};":
                problems.append(f"{where}: {obj}.{field} is {known[field.lower()]}, not {target}")
            checked += 1
    for p in problems:
        print(p)
    print(f"verify-standard-fields: {checked} entries checked against {os.path.basename(jars[0])}, "
          f"{len(problems)} mismatch(es)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
