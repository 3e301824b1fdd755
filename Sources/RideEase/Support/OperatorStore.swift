import Emulator
import Storage

/// The object store of the operator commands (`train`, `simulate`, `events import`, `places import`, `eval`),
/// which work on state directly rather than through the bundle's functions.
enum OperatorStore {
    /// The object store the bundle options name, or a clear exit.
    static func open(_ bundle: BundleOptions, _ environment: [String: String]) throws -> any ObjectStore {
        do {
            return try makeObjectStore(from: bundle.storageLocation(environment), environment: environment)
        } catch {
            throw StartupError("RIDEEASE_STORAGE: \(error)").exit()
        }
    }
}
