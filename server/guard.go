package server

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"

	"github.com/rustbelt/rustbelt/fail"
)

// Any web page the user visits can make the browser send requests to the
// server, on 127.0.0.1 too: simple GETs and POSTs go out without asking
// (a page cannot read their answers, but a query runs all the same), and a
// page whose own name the attacker rebinds to 127.0.0.1 can even read them
// (DNS rebinding). Two checks keep other sites out:
//
//   - checkHost refuses a request whose Host header is not a name of the
//     server: a rebound page sends its own name there.
//   - checkOrigin refuses a request that a browser says comes from the page
//     of another site (Origin, or Sec-Fetch-Site for loads that carry no
//     Origin, such as <img src>), unless Config.CORSOrigins lets that
//     origin in.

// corsMethods and corsHeaders are what a --cors origin's pages may send;
// corsExposed are the answer headers their scripts may read.
const (
	corsMethods = "GET, POST"
	corsHeaders = "Authorization, Content-Type"
	corsExposed = noteHeader + ", " + truncatedHeader + ", " + limitHeader + ", " + nextHeader + ", " + totalHeader + ", Link, Content-Disposition, Retry-After"
	corsMaxAge  = "600"
)

// hostGuard holds the names a request may give in its Host header: the
// allowed names and the addresses the server listens on. Serve adds the
// addresses while requests on other listeners may be read, hence the lock.
type hostGuard struct {
	mu       sync.RWMutex
	names    map[string]bool // allowed names, as hostName writes them
	addrs    []netip.Addr    // addresses listened on
	anyAddr  bool            // listening on every address (0.0.0.0 or ::)
	loopback bool            // some address is a loopback one: localhost names it
}

func newHostGuard(names []string) *hostGuard {
	g := &hostGuard{names: make(map[string]bool, len(names))}
	for _, n := range names {
		g.names[hostName(n)] = true
	}
	return g
}

// listen adds the address of a listener. An address that is not an IP
// address and port (a Unix socket) adds nothing: browsers cannot reach it,
// and requests on it must give an allowed name.
func (g *hostGuard) listen(addr net.Addr) {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return
	}
	ip := ap.Addr().Unmap().WithZone("")
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case ip.IsUnspecified():
		g.anyAddr, g.loopback = true, true
	default:
		g.addrs = append(g.addrs, ip)
		g.loopback = g.loopback || ip.IsLoopback()
	}
}

// allows reports whether host, a Host header, names the server. Any IP
// address the server listens on does: a page can rebind a name but not an
// address, so a request under an address comes from a page of that address,
// the server's own. The port is not compared, so that the server can be
// reached through a forwarded port.
func (g *hostGuard) allows(host string) bool {
	name := hostName(host)
	g.mu.RLock()
	defer g.mu.RUnlock()
	if ip, err := netip.ParseAddr(name); err == nil {
		ip = ip.Unmap().WithZone("")
		if g.anyAddr {
			return true
		}
		for _, a := range g.addrs {
			if a == ip {
				return true
			}
		}
		return false
	}
	return name != "" && (g.names[name] || name == "localhost" && g.loopback)
}

// hostName is the name of a Host header or an --allow-host value, compared
// without port, brackets, case or final dot.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// checkHost refuses requests whose Host header is not a name of the server.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allows(r.Host) {
			s.fail(w, r, fail.Errorf(fail.Forbidden,
				"Host %q is not a name of this server: to reach it by that name, start it with --allow-host %s", r.Host, hostName(r.Host)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkOrigin lets through the requests of the server's own page and of
// clients that are not browsers, and those of the pages of Config's CORS
// origins, with CORS headers; it answers their preflights. It refuses the
// requests that come from the pages of any other origin.
func (s *Server) checkOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if len(s.cors) > 0 {
			w.Header().Add("Vary", "Origin") // the answer depends on it: caches must not share it
		}
		if origin != "" && s.cors[strings.ToLower(origin)] {
			if s.allowCORS(w, r, origin) {
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if err := sameOrigin(r); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowCORS adds the CORS headers for an allowed origin, and answers its
// preflight (then it reports true).
func (s *Server) allowCORS(w http.ResponseWriter, r *http.Request, origin string) bool {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", corsExposed)
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h.Set("Access-Control-Allow-Methods", corsMethods)
	h.Set("Access-Control-Allow-Headers", corsHeaders)
	h.Set("Access-Control-Max-Age", corsMaxAge)
	if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
		// Chromium asks before a public page may call a loopback or
		// private address; the origin was allowed by name.
		h.Set("Access-Control-Allow-Private-Network", "true")
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// sameOrigin returns an error for a request that a browser sent from the
// page of another origin. A browser names that origin in Origin on every
// request but a GET or HEAD of its own origin and loads that carry no
// Origin (<img src>, <script src>, a link followed), for which recent
// browsers send Sec-Fetch-Site. Other clients send neither.
func sameOrigin(r *http.Request) error {
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		// The scheme is not compared: behind a proxy that ends TLS, the
		// page is https and the request reaches the server as http.
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
			return nil
		}
		return fail.Errorf(fail.Forbidden,
			"the pages of %q may not call this server: to let them, start it with --cors %s", origin, origin)
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none": // not a browser, the server's own page, an address typed or bookmarked
		return nil
	}
	// The page and the health and metrics are safe to link to from
	// anywhere: reading them changes and costs nothing.
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasPrefix(r.URL.Path, "/api/") {
		return nil
	}
	return fail.Errorf(fail.Forbidden,
		"requests from the pages of other sites are refused: open the address directly, or start the server with --cors ORIGIN to let the pages of ORIGIN call it")
}
