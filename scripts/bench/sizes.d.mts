export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}
export declare function sizeOf(buffers: Uint8Array[]): Size;
export declare function scriptTagSize(): Size;
export declare function budgets(): { scriptTagBrotli: number; firstOpenBrotli: number };
