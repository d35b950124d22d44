// Upstash regions and which one is nearest to a Railway region. Pure.

export const UPSTASH_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'sa-east-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'af-south-1',
  'us-central1',
  'us-east4',
  'europe-west1',
  'asia-northeast1',
] as const;
export type UpstashRegion = (typeof UPSTASH_REGIONS)[number];

const GCP_REGIONS: ReadonlySet<string> = new Set(['us-central1', 'us-east4', 'europe-west1', 'asia-northeast1']);

export function isUpstashRegion(value: string): value is UpstashRegion {
  return (UPSTASH_REGIONS as readonly string[]).includes(value);
}

/** The OpenAPI's required `platform`: the GCP-style names are on gcp, the rest on aws. */
export function platformForRegion(region: string): 'aws' | 'gcp' {
  return GCP_REGIONS.has(region) ? 'gcp' : 'aws';
}

// Railway region prefixes (GCP-style names, with or without a metal suffix such as -eqdc4a) →
// the nearest Upstash region. AWS regions are preferred: the GCP ones are fewer and legacy.
// First match wins, so the more specific prefixes come first.
const REGION_RULES: ReadonlyArray<readonly [RegExp, UpstashRegion]> = [
  [/^us-west1\b/, 'us-west-2'], // Oregon (Railway's older US West)
  [/^us-west/, 'us-west-1'], // us-west2: California
  [/^us-east/, 'us-east-1'], // us-east4: Virginia (Ashburn)
  [/^us-central|^us-south/, 'us-east-2'], // Iowa / Texas → Ohio
  [/^northamerica|^ca-/, 'ca-central-1'],
  [/^southamerica|^sa-/, 'sa-east-1'],
  [/^europe-west2\b|^eu-west-2/, 'eu-west-2'], // London
  [/^europe-west1\b|^eu-west-1|^europe-north|^eu-north/, 'eu-west-1'],
  [/^europe|^eu-/, 'eu-central-1'], // europe-west4 (Amsterdam), europe-west3 (Frankfurt)…
  [/^asia-southeast|^ap-southeast-1/, 'ap-southeast-1'], // Singapore, Jakarta
  [/^australia|^ap-southeast-2/, 'ap-southeast-2'],
  [/^asia-northeast|^asia-east|^ap-northeast/, 'ap-northeast-1'], // Tokyo, Seoul, Taiwan, Hong Kong
  [/^asia-south|^ap-south/, 'ap-south-1'], // Mumbai, Delhi
  [/^africa|^af-|^me-/, 'af-south-1'],
];

/** Nearest Upstash region for a Railway region such as `us-west2`, `us-east4-eqdc4a`, `europe-west4-drams3a`. */
export function suggestRegion(railwayRegion: string | undefined): UpstashRegion {
  const r = (railwayRegion ?? '').trim().toLowerCase();
  // An AWS-style Upstash name passes through; GCP-style names (also Railway's) map to AWS below.
  if (isUpstashRegion(r) && !GCP_REGIONS.has(r)) return r;
  for (const [pattern, region] of REGION_RULES) if (pattern.test(r)) return region;
  return 'us-east-1';
}
