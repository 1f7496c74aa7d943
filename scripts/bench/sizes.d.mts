export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}
export declare function sizeOf(buffers: Uint8Array[]): Size;
export declare function scriptTagSize(dist?: string): Size;
export declare function budgets(): { scriptTagBrotli: number; firstOpenBrotli: number };
