import { describe, expect, it } from 'vitest';
import { bridgeSizeClass, tunnelSizeClass } from '../../../data/build/structure_size_class.ts';

describe('bridgeSizeClass (JTG D60 by total length)', () => {
  it.each([
    [4000, 'extra_large'],
    [1000.01, 'extra_large'],
    [1000, 'large'],
    [100, 'large'],
    [99.99, 'medium'],
    [30.01, 'medium'],
    [30, 'small'],
    [8, 'small'],
    [7.99, 'culvert'],
    [0, 'culvert'],
  ])('%s m is %s', (lengthMeters, sizeClass) => {
    expect(bridgeSizeClass(lengthMeters)).toBe(sizeClass);
  });
});

describe('tunnelSizeClass (JTG 3370 by length)', () => {
  it.each([
    [3000.01, 'extra_long'],
    [3000, 'long'],
    [1000.01, 'long'],
    [1000, 'medium'],
    [500.01, 'medium'],
    [500, 'short'],
    [53, 'short'],
  ])('%s m is %s', (lengthMeters, sizeClass) => {
    expect(tunnelSizeClass(lengthMeters)).toBe(sizeClass);
  });
});
