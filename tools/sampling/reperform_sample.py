#!/usr/bin/env python3
"""Re-perform an Attest sample selection without trusting Attest (Python 3 standard library only).

Usage: python3 tools/sampling/reperform_sample.py <reperformance.json | ->

The input is the JSON of GET /v1/engagements/{engagementId}/samples/{sampleId}/reperformance:
  { "algorithm", "seed", "populationHash", "size", "listing": [occurrence, ...], "selected": [{draw, index,
    occurrenceId}, ...] }
The script recomputes the population hash from the listing (RFC 8785 JSON, SHA-256) and the selection from the seed
and that hash (attest-sha256-ctr-v1, see README.md next to this file), prints both, and exits
  0 when both equal what the file records, 1 naming each difference, 2 when the input cannot be read.
"""

import argparse
import hashlib
import json
import sys

ALGORITHM = "attest-sha256-ctr-v1"
UINT64_RANGE = 1 << 64
MAX_SAFE_INTEGER = (1 << 53) - 1
HEX_DIGITS = set("0123456789abcdef")


class BadInput(Exception):
    pass


# ---- the population hash: SHA-256 of the listing's RFC 8785 (JCS) JSON ----


def canonical_json(value):
    """RFC 8785 for JSON holding only objects, arrays, strings and integers (all an Attest listing holds)."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        raise BadInput("the listing may hold only strings and integers, found %r" % (value,))
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise BadInput("the listing holds an integer beyond 2^53 - 1: %d" % value)
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    if isinstance(value, dict):
        # RFC 8785 orders keys by their UTF-16 code units.
        keys = sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(quote(key) + ":" + canonical_json(value[key]) for key in keys) + "}"
    raise BadInput("unexpected JSON value %r" % (value,))


SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quote(text):
    """A JSON string as ECMAScript's JSON.stringify writes it: only these escapes, everything else as is."""
    out = []
    for char in text:
        code = ord(char)
        if char in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[char])
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF:
            out.append("\\u%04x" % code)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def population_hash(listing):
    return hashlib.sha256(canonical_json(listing).encode("utf-8")).hexdigest()


# ---- the selection: SHA-256 counter-mode generator, rejection sampling, partial Fisher-Yates ----


def counter_stream(seed, pop_hash):
    counter = 0
    while True:
        digest = hashlib.sha256(("%s:%s:%d" % (seed, pop_hash, counter)).encode("utf-8")).digest()
        yield int.from_bytes(digest[:8], "big")
        counter += 1


def random_below(stream, n):
    limit = UINT64_RANGE - (UINT64_RANGE % n)
    while True:
        x = next(stream)
        if x < limit:
            return x % n


def select_sample(seed, pop_hash, population_size, size):
    stream = counter_stream(seed, pop_hash)
    positions = list(range(population_size))
    draws = []
    for i in range(size):
        j = i + random_below(stream, population_size - i)
        positions[i], positions[j] = positions[j], positions[i]
        draws.append((i, positions[i]))
    return draws


# ---- reading the file and comparing ----


def read_input(source):
    try:
        if source == "-":
            return json.load(sys.stdin)
        with open(source, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise BadInput("cannot read %s: %s" % (source, error))


def require(document, field, kind):
    value = document.get(field) if isinstance(document, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadInput("the file has no valid %r" % field)
    return value


def require_hex32(document, field):
    value = require(document, field, str)
    if len(value) != 64 or not set(value) <= HEX_DIGITS:
        raise BadInput("%r must be 64 lowercase hex digits" % field)
    return value


def recorded_selection(document):
    recorded = []
    for entry in require(document, "selected", list):
        if not isinstance(entry, dict):
            raise BadInput("each selected entry is an object")
        recorded.append(
            (require(entry, "draw", int), require(entry, "index", int), require(entry, "occurrenceId", str))
        )
    return recorded


def reperform(document):
    """Prints the recomputed hash and selection; returns the differences from what the file records."""
    algorithm = require(document, "algorithm", str)
    if algorithm != ALGORITHM:
        raise BadInput("unsupported algorithm %r (this script re-performs %s)" % (algorithm, ALGORITHM))
    seed = require_hex32(document, "seed")
    recorded_hash = require_hex32(document, "populationHash")
    size = require(document, "size", int)
    listing = require(document, "listing", list)
    for occurrence in listing:
        if not isinstance(occurrence, dict) or not isinstance(occurrence.get("occurrenceId"), str):
            raise BadInput("each listing entry is an object with a string occurrenceId")
    recorded = recorded_selection(document)

    differences = []
    recomputed_hash = population_hash(listing)
    print("algorithm:        %s" % ALGORITHM)
    print("seed:             %s" % seed)
    print("population:       %d occurrences" % len(listing))
    print("population hash:  %s (recomputed)" % recomputed_hash)
    if recomputed_hash != recorded_hash:
        print("                  %s (recorded)" % recorded_hash)
        differences.append(
            "population changed: the listing hashes to %s, but the sample was drawn from population %s"
            % (recomputed_hash, recorded_hash)
        )
    if size < 0 or size > len(listing):
        differences.append("a sample of %d cannot be drawn from %d occurrences" % (size, len(listing)))
        return differences

    # Drawn from the hash of the listing in hand: the only population the person re-performing has verified.
    draws = select_sample(seed, recomputed_hash, len(listing), size)
    selection = [(draw, index, listing[index]["occurrenceId"]) for draw, index in draws]
    print("sample size:      %d" % size)
    print("selected (draw, index, occurrenceId):")
    for draw, index, occurrence_id in selection:
        print("  %d\t%d\t%s" % (draw, index, occurrence_id))

    if len(recorded) != len(selection):
        differences.append(
            "selection differs: the file records %d draws, re-performed %d" % (len(recorded), len(selection))
        )
    for mine, theirs in zip(selection, recorded):
        if mine != theirs:
            differences.append(
                "selection differs at draw %d: re-performed index %d (%s), the file records draw %d index %d (%s)"
                % (mine + theirs)
            )
    return differences


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Re-perform an Attest sample selection (attest-sha256-ctr-v1) from its re-performance JSON."
    )
    parser.add_argument("reperformance", help="the re-performance JSON file, or - for standard input")
    args = parser.parse_args(argv)
    try:
        differences = reperform(read_input(args.reperformance))
    except BadInput as error:
        print("bad input: %s" % error, file=sys.stderr)
        return 2
    if differences:
        for difference in differences:
            print("DIFFERS: %s" % difference)
        return 1
    print("OK: the population hash and the selection match the file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
