#!/bin/bash
# h ALG STRING -> hex
h() { printf '%s' "$2" | openssl dgst -"$1" -r | cut -d' ' -f1; }
hb() { openssl dgst -"$1" -r < "$2" | cut -d' ' -f1; }
U=Mufasa; R=http-auth@example.org; P="Circle of Life"; M=INVITE; URI="sip:bob@biloxi.example.com"
N=7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v; C=f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ; NC=00000001
# the body is sdp-offer.bin next to this script
cp "$(dirname "$0")/sdp-offer.bin" body.bin
emit() { # name alg sess qop
  local name=$1 alg=$2 tok=$3 sess=$4 qop=$5
  local ha1=$(h $alg "$U:$R:$P")
  if [ "$sess" = 1 ]; then ha1=$(h $alg "$ha1:$N:$C"); fi
  local ha2
  if [ "$qop" = auth-int ]; then ha2=$(h $alg "$M:$URI:$(hb $alg body.bin)"); else ha2=$(h $alg "$M:$URI"); fi
  local resp
  if [ -z "$qop" ]; then resp=$(h $alg "$ha1:$N:$ha2"); else resp=$(h $alg "$ha1:$N:$NC:$C:$qop:$ha2"); fi
  echo "name=$name"; echo "algorithm=$tok"; echo "username=$U"; echo "realm=$R"; echo "password=$P"; echo "method=$M"; echo "uri=$URI"
  echo "nonce=$N"; if [ -n "$qop" ]; then echo "nc=$NC"; echo "cnonce=$C"; echo "qop=$qop"; fi
  if [ "$qop" = auth-int ]; then echo "body=sdp-offer.bin"; fi
  echo "response=$resp"; echo
}
emit "openssl SHA-512-256 qop=auth" sha512-256 SHA-512-256 0 auth
emit "openssl SHA-512-256-sess qop=auth" sha512-256 SHA-512-256-sess 1 auth
emit "openssl SHA-256-sess qop=auth" sha256 SHA-256-sess 1 auth
emit "openssl MD5-sess qop=auth" md5 MD5-sess 1 auth
emit "openssl MD5 qop=auth-int" md5 MD5 0 auth-int
emit "openssl SHA-256 qop=auth-int" sha256 SHA-256 0 auth-int
emit "openssl SHA-512-256-sess qop=auth-int" sha512-256 SHA-512-256-sess 1 auth-int
emit "openssl MD5 no qop (RFC 2069)" md5 MD5 0 ""
emit "openssl SHA-256 no qop" sha256 SHA-256 0 ""
