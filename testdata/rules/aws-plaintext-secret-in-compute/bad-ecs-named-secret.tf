resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "api"
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2"
    environment = [
      { name = "DB_HOST", value = "orders.cluster-abc123.eu-west-1.rds.amazonaws.com" },
      { name = "DB_PASSWORD", value = "Tr0ub4dor-orders-prod" }, # expect: aws-plaintext-secret-in-compute
    ]
  }])
}
