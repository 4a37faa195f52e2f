export default function Home() {
  return (
    <main>
      <h1>ADinsights</h1>
      <p>Marketing analytics for agencies. The REST API lives under /api/.</p>
    </main>
  );
}
