/** @type {import('next').NextConfig} */
const nextConfig = {
  // The pg driver (and the COPY stream that drives its connection) stay plain Node dependencies.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "pg-copy-streams"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx (403) for signed-in users without the needed role.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
