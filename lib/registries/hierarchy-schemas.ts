// The Hierarchy page's lazy reads: one level of the tree (a page of a registry's children) and a
// search by name that brings the path to each match. The whole tree in one document stays
// `GET R/hierarchy` (schemas.ts, hierarchyTreeDto).
import { z } from 'zod';
import { hierarchyNodeDto, registryStateCountsDto } from './schemas';

/** How many children a level shows at first, and how many more each "Show more" adds. */
export const LEVEL_PAGE_SIZE = 100;
/** The most children one request answers; a registry with more is read page by page (`cursor`). */
export const MAX_LEVEL_LIMIT = 1000;
/** How many matches a search shows (the paths to them come with them). */
export const SEARCH_MATCH_LIMIT = 50;
/** A search counts its matches up to this many ("1,000+"), so that counting stays fast. */
export const SEARCH_COUNT_CAP = 1000;

export const hierarchyChildrenQuery = z.object({
  parent: z
    .string()
    .max(50)
    .optional()
    .describe(
      'the connected registry whose children to list (any case); absent or empty: the registries directly under the cloud registry',
    ),
  limit: z.coerce.number().int().min(1).max(MAX_LEVEL_LIMIT).default(LEVEL_PAGE_SIZE),
  cursor: z.string().max(500).optional(),
});
export type HierarchyChildrenQuery = z.infer<typeof hierarchyChildrenQuery>;

export const hierarchySearchQuery = z.object({
  q: z.string().trim().min(1, 'Type part of a registry name.').max(50),
  limit: z.coerce.number().int().min(1).max(100).default(SEARCH_MATCH_LIMIT),
});
export type HierarchySearchQuery = z.infer<typeof hierarchySearchQuery>;

/** A node of the hierarchy document with how many registries are directly under it. */
export const hierarchyLevelNodeDto = hierarchyNodeDto.extend({
  childCount: z.number().int().describe('how many connected registries are directly under it'),
});
export type HierarchyLevelNode = z.infer<typeof hierarchyLevelNodeDto>;

/** One level of the tree: a page of one registry's children, by name (any case). */
export const hierarchyLevelDto = z.object({
  parent: z.string().nullable().describe('null: the registries directly under the cloud registry'),
  total: z.number().int().describe('how many registries are directly under the parent'),
  items: z.array(hierarchyLevelNodeDto),
  next: z.string().nullable().describe('the cursor of the next page, null on the last'),
  counts: registryStateCountsDto
    .optional()
    .describe('with the top level only: the whole hierarchy’s connected registries counted by state'),
});
export type HierarchyLevel = z.infer<typeof hierarchyLevelDto>;

export const hierarchySearchDto = z.object({
  query: z.string().describe('the search text as matched: trimmed, lower case'),
  total: z.number().int().describe(`how many registry names contain it, counted up to ${SEARCH_COUNT_CAP} (see totalCapped)`),
  totalCapped: z.boolean().describe(`true: at least ${SEARCH_COUNT_CAP} match`),
  matches: z.array(z.string()).describe(`the first ${SEARCH_MATCH_LIMIT} (or limit) matching names, by name`),
  nodes: z.array(hierarchyLevelNodeDto).describe('the matches and every registry on the path to them, by name'),
});
export type HierarchySearch = z.infer<typeof hierarchySearchDto>;
