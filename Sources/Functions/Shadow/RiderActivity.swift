import Recommender

/// How much history a rider has in the served model, the split shadow agreement is reported by: a new model
/// usually changes most for riders with little history, and that is where a team wants to look first.
public enum RiderActivity: String, Codable, Sendable, CaseIterable {
    /// Unknown to the served model (no rides in its training data).
    case new
    /// 1 to 4 distinct destinations in its training data.
    case light
    /// 5 or more distinct destinations.
    case heavy

    /// The fewest distinct destinations of a heavy rider.
    static let heavyFrom = 5

    /// The activity of `userId` in `model`'s training history.
    init(userId: String, in model: TrainedModel) {
        guard let user = model.users.index(of: userId) else {
            self = .new
            return
        }
        let destinations = model.seenItems(ofUser: user).count
        self = destinations == 0 ? .new : destinations < Self.heavyFrom ? .light : .heavy
    }
}
