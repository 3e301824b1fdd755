import Foundation

/// The one way console pages put text into HTML: every value from storage, the request or a handler goes through
/// ``escape(_:)``, which is safe in element content and in double- or single-quoted attribute values.
enum HTML {
    /// `text` with `& < > " '` replaced by character references.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A path segment for a console link: percent-encoded, then HTML-escaped for the attribute it goes in.
    static func pathSegment(_ text: String) -> String {
        escape(text.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? "")
    }

    /// RFC 3986 unreserved characters: everything else in a segment is percent-encoded.
    private static let segmentCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
