import Console

extension Console {
    /// The console over a loaded runtime's functions, scheduler and admin key.
    package init(runtime: EmulatorRuntime, logs: RecentLogLines) {
        self.init(invoker: runtime.invoker, scheduled: runtime.scheduled, adminKey: runtime.adminKey, logs: logs)
    }
}
