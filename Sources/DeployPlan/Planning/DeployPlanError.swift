/// Why `rideease deploy plan` made no plan: every problem found, each a line the user can act on.
package struct DeployPlanError: Error, CustomStringConvertible {
    package var problems: [String]

    package var description: String { problems.joined(separator: "\n") }
}
