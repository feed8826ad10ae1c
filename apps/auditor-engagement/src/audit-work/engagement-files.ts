import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { sqlIdent, setUpUnderLock } from '@attest/event-store';
import { ENGAGEMENT_OPTIONS, FILES_SCHEMA, type ResolvedOptions } from '../engagement-options';

/** A stored file: as issued, byte for byte. */
export interface StoredFile {
  mediaType: string;
  fileName: string;
  sha256: string;
  body: Buffer;
}

/**
 * The issued documents' bytes (reports in every format, bridge letters), in schema `engagement_files`: written in
 * the transaction that appends their issue event, never rebuilt (a renderer's next version must not change what was
 * issued), served unchanged. Keyed by the document (report or letter id) and its format.
 */
@Injectable()
export class EngagementFiles implements OnModuleInit {
  private readonly table = `${sqlIdent(FILES_SCHEMA)}.files`;

  constructor(@Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions) {}

  async onModuleInit(): Promise<void> {
    await setUpUnderLock(this.options.pool, `${FILES_SCHEMA}:setup`, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(FILES_SCHEMA)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        tenant_id text NOT NULL,
        engagement_id text NOT NULL,
        document_id text NOT NULL,
        format text NOT NULL,
        media_type text NOT NULL,
        file_name text NOT NULL,
        sha256 text NOT NULL,
        body bytea NOT NULL,
        PRIMARY KEY (tenant_id, engagement_id, document_id, format))`);
    });
  }

  async put(
    tx: PoolClient,
    key: { tenantId: string; engagementId: string; documentId: string; format: string },
    file: StoredFile,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} (tenant_id, engagement_id, document_id, format, media_type, file_name, sha256, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        key.tenantId,
        key.engagementId,
        key.documentId,
        key.format,
        file.mediaType,
        file.fileName,
        file.sha256,
        file.body,
      ],
    );
  }

  async get(key: {
    tenantId: string;
    engagementId: string;
    documentId: string;
    format: string;
  }): Promise<StoredFile | null> {
    const r = await this.options.pool.query<{
      media_type: string;
      file_name: string;
      sha256: string;
      body: Buffer;
    }>(
      `SELECT media_type, file_name, sha256, body FROM ${this.table}
       WHERE tenant_id = $1 AND engagement_id = $2 AND document_id = $3 AND format = $4`,
      [key.tenantId, key.engagementId, key.documentId, key.format],
    );
    const row = r.rows[0];
    return row
      ? { mediaType: row.media_type, fileName: row.file_name, sha256: row.sha256, body: row.body }
      : null;
  }
}
