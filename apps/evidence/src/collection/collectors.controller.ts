import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { COLLECTORS, type Collector } from '@attest/collectors';
import {
  ApiPageResponse,
  cursorKey,
  decodeCursor,
  keyPart,
  pageOf,
  PageQueryDto,
  RequirePermission,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import { COLLECTOR_SCHEMA } from './collection-schemas';

/** What the API tells of a collector: everything but its code. */
export type CollectorView = Omit<Collector, 'collect'>;

const isCollectorKey = cursorKey<[string]>(keyPart.text);

function viewOf({ id, version, title, configSchema, serves, factModel }: Collector): CollectorView {
  return { id, version, title, configSchema, serves, factModel };
}

@ApiTags('collectors')
@Controller('collectors')
export class CollectorsController {
  @Get()
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary:
      'The collectors the service offers, by id: their config schema, the controls they serve, their facts.',
  })
  @ApiPageResponse(COLLECTOR_SCHEMA)
  list(@Query() query: PageQueryDto, @Req() request: PagedRequest): Page<CollectorView> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isCollectorKey)[0];
    const rows = [...COLLECTORS]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .filter((collector) => after === undefined || collector.id > after)
      .slice(0, query.limit + 1)
      .map(viewOf);
    return pageOf(rows, query.limit, (collector) => [collector.id], request);
  }
}
