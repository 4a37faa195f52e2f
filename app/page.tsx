import { redirect } from "next/navigation";

// The product lives behind sign-in; the dashboards layout sends anonymous visitors to /login.
export default function Home() {
  redirect("/dashboards");
}
