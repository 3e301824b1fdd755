/// Why `rideease deploy plan` made no plan: every problem found, each a line the user can act on.
struct DeployPlanError: Error, CustomStringConvertible {
    var problems: [String]

    var description: String { problems.joined(separator: "\n") }
}
