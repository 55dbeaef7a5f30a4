import { ValidationError, parseInput } from '@/lib/errors';
import { gatewayRoute } from '@/lib/gateway/http';
import { reportStatus, statusInput } from '@/lib/gateway/service';

export const POST = gatewayRoute<{ registry: string; name: string }>(async (req, params) => {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  await reportStatus(req.headers, params.registry, params.name, parseInput(statusInput, body));
  return new Response(null, { status: 204 });
});
