import { uuidV5 } from './stable-uuid';

describe('uuidV5', () => {
  it('matches the RFC 9562 name-based (SHA-1) algorithm', () => {
    // the DNS namespace and "www.example.com", as computed by Python's uuid.uuid5
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is stable for the same name and differs for another', () => {
    const ns = 'a08ae40d-e842-4318-b261-3a4196bfe690';
    expect(uuidV5('control-library@1.0.0', ns)).toBe(uuidV5('control-library@1.0.0', ns));
    expect(uuidV5('control-library@1.0.0', ns)).not.toBe(uuidV5('control-library@1.0.1', ns));
    expect(uuidV5('x', ns)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'attest')).toThrow('namespace is not a UUID');
  });
});
