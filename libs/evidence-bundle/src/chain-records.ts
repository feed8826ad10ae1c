import type { BundleItem } from './statement';

/**
 * One event of the tenant's chain as a Kafka consumer receives it: the CloudEvents `ce_*` headers (with the
 * `ce_attesthash`/`ce_attestprevhash` links) and the data. The same form `npm run events:verify-chain` reads from
 * the topic, so one documented rule (docs/events/README.md, "Verifying a chain") checks both.
 */
export interface ChainRecord {
  headers: Record<string, string>;
  data: unknown;
}

/** `chain/events.jsonl`: one record per line, in chain order. */
export function chainRecordsFile(records: readonly ChainRecord[]): Buffer {
  return Buffer.from(
    records.map((r) => `${JSON.stringify({ headers: r.headers, data: r.data })}\n`).join(''),
    'utf8',
  );
}

export function parseChainRecords(
  file: Buffer,
): { ok: true; records: ChainRecord[] } | { ok: false; problem: string } {
  const records: ChainRecord[] = [];
  const lines = file.toString('utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (line === '' && i === lines.length - 1) break;
    try {
      const r = JSON.parse(line) as ChainRecord;
      if (!r || typeof r.headers !== 'object' || r.headers === null) throw new Error('no headers');
      records.push({ headers: r.headers, data: r.data });
    } catch (err) {
      return { ok: false, problem: `line ${i + 1} is not a chain record: ${(err as Error).message}` };
    }
  }
  return { ok: true, records };
}

/**
 * The problems binding each item to the chain: the record at the item's sequence must be the named event with the
 * named hash and position, at or below the checkpoint (so the signed head covers it), and its data must record
 * this item version with this content hash. Hash and link integrity of the records themselves is the chain
 * check's job; this ties the files to the chain it verified.
 */
export function itemChainProblems(
  items: readonly BundleItem[],
  records: readonly ChainRecord[],
  checkpointSequence: number,
): string[] {
  const bySequence = new Map(records.map((r) => [Number(r.headers['ce_tenantsequence']), r]));
  const problems: string[] = [];
  for (const item of items) {
    const name = `item ${item.itemId} v${item.version}`;
    const r = bySequence.get(item.chain.tenantSequence);
    if (item.chain.tenantSequence > checkpointSequence)
      problems.push(
        `${name}: sequence ${item.chain.tenantSequence} is after the checkpoint's ${checkpointSequence}`,
      );
    if (!r) {
      problems.push(`${name}: the chain has no event at sequence ${item.chain.tenantSequence}`);
      continue;
    }
    const at = `${name}: the event at sequence ${item.chain.tenantSequence}`;
    if (r.headers['ce_id'] !== item.chain.eventId) problems.push(`${at} is not event ${item.chain.eventId}`);
    if (r.headers['ce_attesthash'] !== item.chain.hash)
      problems.push(`${at} does not have hash ${item.chain.hash}`);
    if (Number(r.headers['ce_globalposition']) !== item.chain.globalPosition)
      problems.push(`${at} is not at global position ${item.chain.globalPosition}`);
    const data = r.data as { itemId?: unknown; version?: unknown; content?: { sha256?: unknown } } | null;
    if (data?.itemId !== item.itemId || data?.version !== item.version)
      problems.push(`${at} does not record this item version`);
    else if (data.content?.sha256 !== item.sha256)
      problems.push(`${at} records content ${String(data.content?.sha256)}, not ${item.sha256}`);
  }
  return problems;
}
