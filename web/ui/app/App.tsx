import { Title1 } from '@fluentui/react-components';

export function App() {
  return (
    <main>
      <Title1 as="h1">Quorum</Title1>
    </main>
  );
}
