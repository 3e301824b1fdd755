import Console

extension Console {
    /// The console over a loaded runtime's functions, scheduler and keys.
    package init(runtime: EmulatorRuntime, logs: RecentLogLines) {
        self.init(
            invoker: runtime.invoker, scheduled: runtime.scheduled, adminKey: runtime.adminKey,
            viewerKey: runtime.viewerKey, logs: logs)
    }
}
