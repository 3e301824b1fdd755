import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One HTTP exchange over a fresh raw socket, so paths reach the server byte for byte (no client-side
/// normalisation of `..` or percent-escapes).
struct RawExchange {
    let status: Int
    let headers: [String: String]
    let body: Data

    /// The body as JSON, when it is a JSON object.
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }

    /// `code` of a `{"error":{"code","message"}}` envelope, when the body is one with a non-empty message.
    var errorCode: String? {
        guard let error = json?["error"] as? [String: Any], let code = error["code"] as? String,
            let message = error["message"] as? String, !message.isEmpty
        else { return nil }
        return code
    }

    /// - Parameter declaredLength: a `Content-Length` other than the body's, to announce a huge body without
    ///   sending it (the server must refuse it from the header alone).
    static func send(
        port: Int, method: String, path: String, headers: [String: String] = [:], body: Data = Data(),
        declaredLength: Int? = nil
    ) throws -> RawExchange {
        let socket = try ByteSocket(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(declaredLength ?? body.count)\r\n\r\n"
        socket.send(Data(head.utf8) + body)
        return try parse(socket.receiveUntilClosed())
    }

    private static func parse(_ raw: Data) throws -> RawExchange {
        let separator = Data("\r\n\r\n".utf8)
        let split = try #require(raw.range(of: separator), "no complete HTTP answer: \(raw.prefix(200))")
        let lines = String(decoding: raw[..<split.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let status = try #require(lines.first.flatMap { Int($0.split(separator: " ")[1]) }, "bad status line")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return RawExchange(status: status, headers: headers, body: Data(raw[split.upperBound...]))
    }
}

/// A loopback TCP socket that sends and receives bytes (``RawConnection`` speaks text only).
final class ByteSocket {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(result == 0, "connect to 127.0.0.1:\(port) failed")
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends everything, stopping quietly when the server already answered and closed (a 413 mid-body).
    func send(_ data: Data) {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(
                    descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    /// Reads until the server closes the connection (requests are sent with `Connection: close`).
    func receiveUntilClosed() -> Data {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return received
    }
}
