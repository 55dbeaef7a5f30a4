// Every route answers every method: an unsupported one gets a 405 with the API's JSON error
// and an Allow header, not Next.js's empty 405.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return entry === 'route.ts' ? [path] : [];
  });
}

const files = routeFiles(join(process.cwd(), 'app')).filter((f) => !/\[\.\.\.(nextauth|unknown|path)\]/.test(f));

describe('unsupported methods', () => {
  it('every route exports every method', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of METHODS) expect(new RegExp(`\\b${m}\\b`).test(source), `${relative(process.cwd(), file)} ${m}`).toBe(true);
    }
  });

  it('answers 405 with a JSON error and Allow', async () => {
    const health = await import('@/app/api/health/route');
    const res = await health.DELETE(new Request('http://localhost/api/health', { method: 'DELETE' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await res.json()).error).toMatchObject({ code: 'method_not_allowed' });
    const admin = await import('@/app/api/v1/admins/[email]/route');
    const put = await admin.GET(new Request('http://localhost/api/v1/admins/x', { method: 'GET' }));
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('PATCH, OPTIONS');
  });
});
