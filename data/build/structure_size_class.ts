/** Bridge classes of JTG D60 by total length. */
export type BridgeSizeClass = 'extra_large' | 'large' | 'medium' | 'small' | 'culvert';
/** Tunnel classes of JTG 3370 by length. */
export type TunnelSizeClass = 'extra_long' | 'long' | 'medium' | 'short';

/**
 * JTG D60: 特大桥 L > 1000 m, 大桥 100 ≤ L ≤ 1000, 中桥 30 < L < 100, 小桥 8 ≤ L ≤ 30,
 * below 8 m a culvert (涵洞). The boundaries follow the standard's inequalities.
 */
export function bridgeSizeClass(lengthMeters: number): BridgeSizeClass {
  if (lengthMeters > 1000) return 'extra_large';
  if (lengthMeters >= 100) return 'large';
  if (lengthMeters > 30) return 'medium';
  if (lengthMeters >= 8) return 'small';
  return 'culvert';
}

/** JTG 3370: 特长 L > 3000 m, 长 1000 < L ≤ 3000, 中 500 < L ≤ 1000, 短 L ≤ 500. */
export function tunnelSizeClass(lengthMeters: number): TunnelSizeClass {
  if (lengthMeters > 3000) return 'extra_long';
  if (lengthMeters > 1000) return 'long';
  if (lengthMeters > 500) return 'medium';
  return 'short';
}
