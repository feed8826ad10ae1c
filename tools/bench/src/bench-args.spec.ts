import { eventCounts, flag, integerListOption, numberOption, stringOption } from './bench-args';

describe('benchmark arguments', () => {
  const argv = ['node', 'x', '--events', '10000,100000', '--rate', '500', '--no-steady'];

  it('reads lists, numbers and flags, with fallbacks', () => {
    expect(eventCounts(argv, [1])).toEqual([10_000, 100_000]);
    expect(integerListOption(argv, 'tenants', [4, 100])).toEqual([4, 100]);
    expect(numberOption(argv, 'rate', 1000)).toBe(500);
    expect(numberOption(argv, 'duration', 20)).toBe(20);
    expect(flag(argv, 'no-steady')).toBe(true);
    expect(stringOption(['--task-queue', 'q-bench'], 'task-queue', 'q')).toBe('q-bench');
    expect(stringOption(argv, 'task-queue', 'q')).toBe('q');
  });

  it('refuses values that are not positive integers', () => {
    expect(() => eventCounts(['--events', '10k'], [1])).toThrow('positive integers');
    expect(() => numberOption(['--rate', '--events'], 'rate', 1)).toThrow('needs a value');
    expect(() => stringOption(['--task-queue'], 'task-queue', 'q')).toThrow('needs a value');
  });
});
