// The part of autocannon's API the server bench uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram { average: number; p50: number; p90: number; p99: number; max: number }
  interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec;
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }
  interface Options { url: string; connections?: number; duration?: number; pipelining?: number; timeout?: number; requests?: RequestSpec[] }
  interface Result { latency: Histogram; requests: Histogram & { total: number }; errors: number; timeouts: number; non2xx: number; statusCodeStats?: Record<string, { count: number }> }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
