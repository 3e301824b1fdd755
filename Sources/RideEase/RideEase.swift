import ArgumentParser

/// `rideease`: the RideEase function bundle's emulator and operator tool (started from `main.swift`).
struct RideEase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rideease",
        abstract: "Run, invoke and inspect the RideEase function bundle.",
        subcommands: [
            Serve.self, Invoke.self, FunctionsCommand.self, Jobs.self, TrainCommand.self, Simulate.self,
            EventsCommand.self, PlacesCommand.self, RidersCommand.self, Evaluate.self,
            DeployCommand.self,
        ]
    )
}
