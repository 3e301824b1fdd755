import Foundation

extension PathTemplate {
    /// The path this template names with `parameters` filled in, each value percent-encoded as one segment (so a
    /// `/` in a value cannot add a segment); `nil` when a parameter has no value.
    public func path(filling parameters: [String: String]) -> String? {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        var path = ""
        for segment in segments {
            switch segment {
            case .literal(let text): path += "/" + text
            case .parameter(let name):
                guard let value = parameters[name], !value.isEmpty else { return nil }
                path += "/" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
            }
        }
        return path.isEmpty ? "/" : path
    }
}
