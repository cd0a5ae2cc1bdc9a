import type { InstanceType } from '../domain/instance-type.js';
import type { Catalog } from './catalog.js';

/**
 * The catalog plus instance types a collection found that it lacks (described by the cloud at collection time), so
 * instances of new types are sized instead of skipped as unknown. Catalog types win on a name clash; the extra types
 * are never right-sizing candidates themselves (they have no price unless a price refresh supplied one).
 */
export function withExtraTypes(catalog: Catalog, extra: readonly InstanceType[] | undefined): Catalog {
  if (!extra || extra.length === 0) return catalog;
  const byKey = new Map(extra.filter((t) => catalog.type(t.cloud, t.name) === undefined).map((t) => [`${t.cloud}|${t.name}`, t] as const));
  if (byKey.size === 0) return catalog;
  const extended: Catalog = Object.create(catalog) as Catalog;
  extended.type = (cloud, name) => catalog.type(cloud, name) ?? byKey.get(`${cloud}|${name}`);
  extended.types = (cloud) => [...catalog.types(cloud), ...[...byKey.values()].filter((t) => t.cloud === cloud)];
  return extended;
}
