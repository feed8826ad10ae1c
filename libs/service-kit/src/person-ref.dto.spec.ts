import { RequestValidationPipe } from './request-validation';
import { PersonRefDto } from './person-ref.dto';

const pipe = new RequestValidationPipe();
const validate = (value: Record<string, unknown>) =>
  pipe.transform(value, { type: 'body', metatype: PersonRefDto });
const personId = 'e3e70682-c209-fcac-029f-6fbed82c07cd';

describe('PersonRefDto', () => {
  it('takes any UUID as JSON Schema writes them (version and variant digits are not checked)', async () => {
    await expect(validate({ personId })).resolves.toEqual({ personId });
    await expect(validate({ personId: 'e3e70682c2091cac029f6fbed82c07cd' })).rejects.toThrow();
  });

  it('counts the length of a display name in characters, as JSON Schema does', async () => {
    const heart = '\u2764\uFE0F'; // two code points, one glyph
    await expect(validate({ personId, displayName: heart.repeat(100) })).resolves.toBeDefined();
    await expect(validate({ personId, displayName: heart.repeat(101) })).rejects.toThrow();
  });

  it('takes the e-mail addresses every format: email check accepts, and refuses the others', async () => {
    for (const email of ['marcus.chen@lumen.example', "o'neil+hr@mail.lumen-analytics.io", 'A@B.CO'])
      await expect(validate({ personId, email })).resolves.toBeDefined();
    for (const email of [
      'josé@lumen.example',
      'marcus@bücher.example',
      'marcus@localhost',
      '"marcus chen"@lumen.example',
      'marcus@lumen--analytics.example',
      `${'m'.repeat(65)}@lumen.example`,
      `marcus@${'l'.repeat(64)}.example`,
      null,
    ])
      await expect(validate({ personId, email })).rejects.toThrow();
  });
});
