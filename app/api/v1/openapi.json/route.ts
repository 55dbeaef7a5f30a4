import { openApiDocument } from '@/lib/api/openapi';
import { operations } from '@/lib/api/operations';

export function GET() {
  return Response.json(openApiDocument(operations));
}
