/** schema/publish: the published language of product versions: the store's layout and the manifest that names the served version. */
export * from './versionStore.js';
export * from './Manifest.js';
export * from './manifestFile.js';
export * from './VersionRecord.js';
export * from './versionRecordFile.js';
export * from './processLock.js';
