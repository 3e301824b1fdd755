// The moto server and its helpers moved to the StorageTestSupport target, shared with FunctionsTests; re-exported so
// every file here keeps using them without an import of its own.
@_exported import StorageTestSupport
