#!/usr/bin/env python3
"""Validates OSCAL 1.1 catalog documents (JSON) independently of the code that wrote them.

Each file is loaded as compliance-trestle's Catalog model, which is generated from NIST's OSCAL 1.1.3 schema
(required fields, patterns, enumerations, no unknown keys). On top of that it checks what the model leaves out:
the document holds exactly one "catalog", declares an OSCAL 1.1.x version, and its group, control and part ids
are unique. Prints one JSON object: {"validator": ..., "results": [{"file", "valid", "error"?}]}.
Run with the venv that tools/oscal/ensure-validator.sh installs.
"""
import json
import pathlib
import re
import sys
import warnings
from importlib.metadata import version

warnings.filterwarnings('ignore')

from trestle.oscal import OSCAL_VERSION  # noqa: E402
from trestle.oscal.catalog import Catalog  # noqa: E402


def duplicate_ids(catalog):
    seen, duplicates = set(), set()

    def walk(node):
        if isinstance(node, dict):
            for key in ('groups', 'controls', 'parts'):
                for child in node.get(key, []):
                    if 'id' in child:
                        (duplicates if child['id'] in seen else seen).add(child['id'])
                    walk(child)

    walk(catalog)
    return sorted(duplicates)


def validate(path):
    document = json.loads(pathlib.Path(path).read_text(encoding='utf-8'))
    if not isinstance(document, dict) or list(document) != ['catalog']:
        raise ValueError('the document must be an object with the single key "catalog"')
    Catalog.parse_obj(document['catalog'])
    oscal_version = document['catalog']['metadata']['oscal-version']
    if not re.fullmatch(r'1\.1\.\d+', oscal_version):
        raise ValueError(f'oscal-version {oscal_version} is not OSCAL 1.1.x')
    duplicates = duplicate_ids(document['catalog'])
    if duplicates:
        raise ValueError(f'duplicate ids: {", ".join(duplicates)}')


def main(paths):
    results = []
    for path in paths:
        try:
            validate(path)
            results.append({'file': path, 'valid': True})
        except Exception as error:  # every failure is a finding about that file
            results.append({'file': path, 'valid': False, 'error': str(error)})
    validator = f'compliance-trestle {version("compliance-trestle")} (OSCAL {OSCAL_VERSION} models)'
    print(json.dumps({'validator': validator, 'results': results}))
    return 0 if all(r['valid'] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
