import ArgumentParser

/// `rideease deploy`: what the bundle becomes on Google Cloud.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Turn functions.yaml into Cloud Run and Cloud Scheduler resources.",
        subcommands: [DeployPlanCommand.self]
    )
}
