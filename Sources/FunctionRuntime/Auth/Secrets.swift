import Foundation

/// Reads secrets the way Cloud Run provides them: the value in `NAME`, or in the file named by `NAME_FILE`
/// (a mounted Secret Manager volume). Values are trimmed of surrounding whitespace and newlines.
public enum Secrets {
    /// The secret called `name` from `environment`, or `nil` when neither form is set or the value is empty.
    public static func value(_ name: String, in environment: [String: String]) throws(SecretError) -> String? {
        if let path = environment[name + "_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SecretError(message: "\(name)_FILE names \(path), which cannot be read")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? nil : text
    }
}

/// A secret that is configured but unreadable.
public struct SecretError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, without the secret's value.
    public var message: String
    public var description: String { message }
}
