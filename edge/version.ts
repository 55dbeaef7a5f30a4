// The edge's version: reported to Canopy in status reports and printed by --version.
export const EDGE_VERSION = '0.1.0';
export const EDGE_RUNTIME = `canopy-edge/${EDGE_VERSION}`;
