// Unknown API paths answer in the API's JSON error format, not with an HTML page.
import { json } from '@/lib/api/handler';

function notFound(req: Request) {
  const path = new URL(req.url).pathname;
  return json({ error: { code: 'not_found', message: `There is no API endpoint ${req.method} ${path}.`, details: [] } }, { status: 404 });
}

export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
