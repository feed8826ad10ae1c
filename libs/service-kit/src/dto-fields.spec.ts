import 'reflect-metadata';
import { DECORATORS } from '@nestjs/swagger';
import {
  ClosedDto,
  NestedField,
  NestedListField,
  OptionalNestedField,
  OptionalTextField,
  OptionalTextListField,
  TextField,
} from './dto-fields';
import { RequestValidationError, RequestValidationPipe } from './request-validation';

@ClosedDto()
class RatingDto {
  @TextField(10)
  label!: string;
}

@ClosedDto({ anyOf: [{ required: ['note'] }, { required: ['rating'] }] })
class ReviewDto {
  @NestedField(RatingDto)
  rating!: RatingDto;

  @OptionalNestedField(RatingDto)
  previous?: RatingDto;

  @NestedListField(RatingDto)
  history!: RatingDto[];

  @OptionalTextField(10)
  note?: string;

  @OptionalTextListField(10)
  tags?: string[];
}

const valid = { rating: { label: 'high' }, history: [] };

async function pointers(body: unknown): Promise<string[]> {
  try {
    await new RequestValidationPipe().transform(body, { type: 'body', metatype: ReviewDto });
    return [];
  } catch (err) {
    if (!(err instanceof RequestValidationError)) throw err;
    return [...new Set(err.errors.map((e) => e.pointer))];
  }
}

describe('DTO fields: the documented rules are the checked ones', () => {
  it('accepts what the schema allows, leaving out the optional fields', async () => {
    expect(await pointers(valid)).toEqual([]);
    expect(await pointers({ ...valid, previous: { label: 'low' }, note: 'x', tags: ['a'] })).toEqual([]);
  });

  it('refuses a required object that is missing, null or an array', async () => {
    expect(await pointers({ history: [] })).toEqual(['/rating']);
    expect(await pointers({ ...valid, rating: null })).toEqual(['/rating']);
    expect(await pointers({ ...valid, rating: [{ label: 'high' }] })).toEqual(['/rating']);
  });

  it('refuses null for an optional field: none is nullable', async () => {
    expect(await pointers({ ...valid, note: null })).toEqual(['/note']);
    expect(await pointers({ ...valid, previous: null })).toEqual(['/previous']);
    expect(await pointers({ ...valid, tags: null })).toEqual(['/tags']);
  });

  it('refuses lists of lists where objects belong, and text with NUL', async () => {
    expect(await pointers({ ...valid, history: [[{ label: 'high' }]] })).toEqual(['/history']);
    expect(await pointers({ ...valid, note: 'a\u0000b' })).toEqual(['/note']);
    expect(await pointers({ ...valid, tags: ['ok', 'a\u0000b'] })).toEqual(['/tags']);
  });

  it('closes the schema and adds the cross-field rules', () => {
    const schema = (type: object) => (Reflect.getMetadata(DECORATORS.API_SCHEMA, type) as object[]).at(-1);
    expect(schema(RatingDto)).toEqual({ additionalProperties: false });
    expect(schema(ReviewDto)).toEqual({
      additionalProperties: false,
      anyOf: [{ required: ['note'] }, { required: ['rating'] }],
    });
  });
});
