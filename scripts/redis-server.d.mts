export interface RedisServerOptions {
  port?: number;
  persist?: boolean;
  bin?: string;
  startTimeoutMs?: number;
}
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number | null;
  stop(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}
export declare function startRedisServer(options?: RedisServerOptions): Promise<RedisServer>;
