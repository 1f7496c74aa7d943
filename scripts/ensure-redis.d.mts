export declare function findRedisServer(): string | undefined;
export declare function ensureRedisServer(): string;
