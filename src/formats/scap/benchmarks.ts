/** The XCCDF benchmarks of a SCAP source data stream, parsed as benchmark documents. */
import type { BenchmarkDocument } from '../../domain/content.js';
import type { XmlElement } from '../safe-xml.js';
import { type ParseBenchmarkOptions, parseBenchmark } from '../xccdf/parse.js';
import { type DataStreamCollection, benchmarksOf } from './data-stream.js';

export interface DataStreamBenchmarkDocument {
  componentId: string;
  doc: BenchmarkDocument;
}

/**
 * Parses every XCCDF Benchmark component of a collection (from fingerprint) into a BenchmarkDocument; `fixes: false`
 * when the collection was fingerprinted without its fix scripts.
 */
export function parseDataStreamBenchmarks(root: XmlElement, collection: DataStreamCollection, file: string, opts: Pick<ParseBenchmarkOptions, 'fixes'> = {}): DataStreamBenchmarkDocument[] {
  return benchmarksOf(collection, root, file).map(({ component, stream, ref }) => {
    const scapVersion = stream?.scapVersion ?? collection.schematronVersion;
    const doc = parseBenchmark(component.benchmark, file, component.xccdfVersion, {
      ...opts,
      ...(collection.earlyRules !== undefined ? { earlyRules: collection.earlyRules } : {}),
      dataStream: {
        collectionId: collection.id,
        componentId: component.id,
        ...(stream ? { streamId: stream.id } : {}),
        ...(ref ? { componentRefId: ref.id } : {}),
        ...(scapVersion !== undefined ? { scapVersion } : {}),
      },
    });
    return { componentId: component.id, doc };
  });
}
