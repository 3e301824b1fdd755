import Foundation

/// A URL path with `{name}` placeholders, such as `/traces/{requestId}`.
///
/// A placeholder fills one whole segment and matches any non-empty segment; matching is on the raw,
/// percent-decoded segments, so a parameter value never contains `/`.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One segment of a template.
    public enum Segment: Sendable, Hashable {
        /// A segment that must equal this text.
        case literal(String)
        /// A segment captured under this parameter name.
        case parameter(String)
    }

    /// The segments between slashes.
    public let segments: [Segment]

    /// Parses a template, or throws a message naming what is wrong.
    public init(_ text: String) throws(PathTemplateError) {
        guard text.hasPrefix("/") else { throw PathTemplateError("path \"\(text)\" must start with /") }
        if text == "/" {
            segments = []
            return
        }
        var parsed: [Segment] = []
        var names: Set<String> = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let part = String(raw)
            if part.isEmpty { throw PathTemplateError("path \"\(text)\" has an empty segment") }
            let inner = part.dropFirst().dropLast()
            if part.hasPrefix("{") && part.hasSuffix("}") && !inner.contains("{") && !inner.contains("}") {
                let name = String(inner)
                guard Self.isIdentifier(name) else {
                    throw PathTemplateError("path \"\(text)\": parameter \"\(name)\" must be an identifier")
                }
                guard names.insert(name).inserted else {
                    throw PathTemplateError("path \"\(text)\": parameter \"\(name)\" appears twice")
                }
                parsed.append(.parameter(name))
            } else if part.contains("{") || part.contains("}") {
                throw PathTemplateError("path \"\(text)\": a parameter must fill a whole segment, as in /items/{id}")
            } else if part.contains(where: { !Self.isPathCharacter($0) }) {
                throw PathTemplateError("path \"\(text)\" contains characters not allowed in a URL path")
            } else {
                parsed.append(.literal(part))
            }
        }
        segments = parsed
    }

    /// The parameter names in order.
    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    /// The template with parameters replaced by `{}`: two templates with the same shape collide.
    public var shape: String {
        "/" + segments.map { if case .literal(let text) = $0 { text } else { "{}" } }.joined(separator: "/")
    }

    /// How specific the template is: literals outrank parameters, position by position.
    var specificity: [Int] { segments.map { if case .literal = $0 { 1 } else { 0 } } }

    /// The captured parameters if `pathSegments` match this template.
    public func match(_ pathSegments: [Substring]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, actual) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let text):
                guard actual == text else { return nil }
            case .parameter(let name):
                guard !actual.isEmpty else { return nil }
                parameters[name] = String(actual).removingPercentEncoding ?? String(actual)
            }
        }
        return parameters
    }

    public var description: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .literal(let text): text
                case .parameter(let name): "{\(name)}"
                }
            }.joined(separator: "/")
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
    }

    private static func isPathCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-._~!$&'()*+,;=:@%".contains(character))
    }
}

/// A path template that cannot be parsed.
public struct PathTemplateError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, for the user.
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}
