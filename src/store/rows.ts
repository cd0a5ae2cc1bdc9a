import type { Instance } from '../domain/instance.js';
import { InstanceSchema } from '../domain/instance.js';
import type { Snapshot, SnapshotMeta } from '../domain/snapshot.js';
import { SnapshotMetaSchema } from '../domain/snapshot.js';

// What every Store implementation keeps as JSON text: the snapshot's meta and each instance, validated both ways.

/** A snapshot's meta: everything but its instances and series, validated before it is stored. */
export function snapshotMetaOf(snapshot: Snapshot): SnapshotMeta {
  const { instances: _instances, series: _series, ...meta } = snapshot;
  return SnapshotMetaSchema.parse({ ...meta, instanceCount: snapshot.instances.length });
}

export function metaFromJson(text: string): SnapshotMeta {
  return SnapshotMetaSchema.parse(JSON.parse(text));
}

export function instanceFromJson(text: string): Instance {
  return InstanceSchema.parse(JSON.parse(text));
}
