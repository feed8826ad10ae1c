#!/usr/bin/env python3
"""Validates OSCAL 1.2 assessment plans and assessment results (JSON) independently of the code that wrote them.

Each file passes two checks that share nothing with our TypeScript:
  1. it loads as compliance-trestle's AssessmentPlan or AssessmentResults model (generated from NIST's OSCAL 1.2
     schema: required fields, patterns, enumerations, no unknown keys);
  2. it is valid against NIST's OSCAL 1.2.3 JSON schema (oscal_complete_schema.json, fetched hash-checked by
     tools/oscal/fetch-oscal-schema.sh) with jsonschema, formats (date-time, uri, uri-reference) checked and the
     schema's patterns evaluated as the ECMA-262 regular expressions JSON Schema specifies (see ecma_pattern).
It also checks what neither layer states: one root ("assessment-plan" or "assessment-results"), an OSCAL 1.2.x
oscal-version, and unique uuids (OSCAL requires them unique; the JSON schema cannot say so).
Prints one JSON object: {"validator": ..., "results": [{"file", "valid", "model"?, "error"?}]}.
Usage: validate-oscal-assessment.py --schema <oscal_complete_schema.json> <file>...
Run with the venv that tools/oscal/ensure-assessment-validator.sh installs.
"""
import argparse
import json
import pathlib
import re
import sys
import warnings
from importlib.metadata import version

warnings.filterwarnings('ignore')

import jsonschema  # noqa: E402
import regex  # noqa: E402
from jsonschema.exceptions import ValidationError  # noqa: E402
from trestle.oscal import OSCAL_VERSION  # noqa: E402
from trestle.oscal.assessment_plan import AssessmentPlan  # noqa: E402
from trestle.oscal.assessment_results import AssessmentResults  # noqa: E402

MODELS = {'assessment-plan': AssessmentPlan, 'assessment-results': AssessmentResults}


def ecma_source(pattern):
    """Rewrites an ECMA-262 pattern (no flags) for the `regex` package, which already knows \\p{L} and \\p{N}.

    Two constructs mean something else in Python: `$` also matches before a final newline (ECMA: only at the end),
    and `.` matches \\r, U+2028 and U+2029 (ECMA: no line terminator). Outside character classes they become \\Z and
    an explicit class.
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == '\\':
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != ']'
            out.append(char)
        elif char == '[':
            in_class = True
            out.append(char)
        elif char == '$':
            out.append(r'\Z')
        elif char == '.':
            out.append('[^\\n\\r\\u2028\\u2029]')
        else:
            out.append(char)
        i += 1
    return ''.join(out)


_compiled = {}


def ecma_pattern(validator, pattern, instance, schema):
    if not validator.is_type(instance, 'string'):
        return
    if pattern not in _compiled:
        _compiled[pattern] = regex.compile(ecma_source(pattern))
    if not _compiled[pattern].search(instance):
        yield ValidationError(f'{instance!r} does not match {pattern!r}')


def schema_validator(schema_path):
    schema = json.loads(pathlib.Path(schema_path).read_text(encoding='utf-8'))
    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {'pattern': ecma_pattern})
    return schema, cls


def schema_errors(schema, cls, root, document):
    # The complete schema is a oneOf over every OSCAL model; NIST's branch for this root (each branch requires its
    # own root key and forbids others) gives errors about this model rather than "not valid under any of".
    branch = next(b for b in schema['oneOf'] if b.get('required') == [root])
    validator = cls({**schema, 'oneOf': [branch]}, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    messages = []
    for error in errors:
        leaves = [error]
        while leaves[0].context:  # the oneOf itself: report what failed inside NIST's branch
            leaves = sorted(leaves[0].context, key=lambda e: -len(e.absolute_path))
        for leaf in leaves:
            messages.append(f'{"/".join(str(p) for p in leaf.absolute_path) or "(root)"}: {leaf.message}')
    return messages


def duplicate_uuids(node, seen=None, duplicates=None):
    seen, duplicates = (set() if seen is None else seen), (set() if duplicates is None else duplicates)
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'uuid' and isinstance(value, str):
                (duplicates if value in seen else seen).add(value)
            else:
                duplicate_uuids(value, seen, duplicates)
    elif isinstance(node, list):
        for value in node:
            duplicate_uuids(value, seen, duplicates)
    return sorted(duplicates)


def validate(path, schema, cls):
    document = json.loads(pathlib.Path(path).read_text(encoding='utf-8'))
    if not isinstance(document, dict) or len(document) != 1 or next(iter(document)) not in MODELS:
        raise ValueError('the document must be an object with the single key "assessment-plan" or "assessment-results"')
    root = next(iter(document))
    problems = []
    try:
        MODELS[root].model_validate(document[root])
    except Exception as error:  # pydantic's message names every failing field
        problems.append(f'compliance-trestle: {error}')
    problems += [f'OSCAL {schema_release(schema)} JSON schema: {m}' for m in schema_errors(schema, cls, root, document)]
    oscal_version = document[root].get('metadata', {}).get('oscal-version')
    if not isinstance(oscal_version, str) or not re.fullmatch(r'1\.2\.\d+', oscal_version):
        problems.append(f'oscal-version {oscal_version} is not OSCAL 1.2.x')
    duplicates = duplicate_uuids(document[root])
    if duplicates:
        problems.append(f'duplicate uuids: {", ".join(duplicates)}')
    if problems:
        raise ValueError('\n'.join(problems))
    return root


def schema_release(schema):
    found = re.search(r'/(\d+\.\d+\.\d+)/', schema.get('$id', ''))
    return found.group(1) if found else 'unknown'


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--schema', required=True, help="NIST's oscal_complete_schema.json")
    parser.add_argument('files', nargs='+')
    args = parser.parse_args(argv)
    schema, cls = schema_validator(args.schema)
    results = []
    for path in args.files:
        try:
            results.append({'file': path, 'valid': True, 'model': validate(path, schema, cls)})
        except Exception as error:  # every failure is a finding about that file
            results.append({'file': path, 'valid': False, 'error': str(error)})
    validator = (
        f'compliance-trestle {version("compliance-trestle")} (OSCAL {OSCAL_VERSION} models) + '
        f'jsonschema {version("jsonschema")} (NIST OSCAL {schema_release(schema)} JSON schema)'
    )
    print(json.dumps({'validator': validator, 'results': results}))
    return 0 if all(r['valid'] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
