import Foundation

extension FunctionError {
    /// The error a function answered, read back from its JSON envelope (`{"error":{"code","message"}}`);
    /// `nil` when the body is not one. Callers that invoke in process (the scheduler, the console, the CLI) use it
    /// to report the handler's own words.
    public init?(answer response: FunctionResponse) {
        struct Envelope: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body) else { return nil }
        self.init(status: response.status, code: envelope.error.code, message: envelope.error.message)
    }
}
