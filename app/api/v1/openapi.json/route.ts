import { openApiDocument } from '@/lib/api/openapi';
import { operations } from '@/lib/api/operations';
import { methodsNotAllowed } from '@/lib/api/methods';

export function GET() {
  return Response.json(openApiDocument(operations));
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
